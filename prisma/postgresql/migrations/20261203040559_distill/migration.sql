-- AlterTable
ALTER TABLE "AnswerLog" ADD COLUMN     "routeReason" TEXT,
ADD COLUMN     "tier" TEXT NOT NULL DEFAULT 'teacher',
ADD COLUMN     "trace" TEXT;

-- CreateTable
CREATE TABLE "DistillExample" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "answerLogId" TEXT NOT NULL,
    "intent" TEXT NOT NULL,
    "split" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DistillExample_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DistillEvalResult" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "runId" TEXT NOT NULL,
    "answerLogId" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "intent" TEXT NOT NULL,
    "citationValid" BOOLEAN NOT NULL,
    "claimsValid" BOOLEAN NOT NULL,
    "agreed" BOOLEAN NOT NULL,
    "refusalMatch" BOOLEAN NOT NULL,
    "latencyMs" INTEGER NOT NULL,
    "costUsd" DOUBLE PRECISION NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DistillEvalResult_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DistillShadowResult" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "answerLogId" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "intent" TEXT NOT NULL,
    "validated" BOOLEAN NOT NULL,
    "refused" BOOLEAN NOT NULL,
    "agreed" BOOLEAN NOT NULL,
    "costUsd" DOUBLE PRECISION NOT NULL,
    "latencyMs" INTEGER NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DistillShadowResult_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DistillRollout" (
    "shop" TEXT NOT NULL,
    "data" TEXT NOT NULL DEFAULT '{}',
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DistillRollout_pkey" PRIMARY KEY ("shop")
);

-- CreateIndex
CREATE INDEX "DistillExample_shop_split_idx" ON "DistillExample"("shop", "split");

-- CreateIndex
CREATE UNIQUE INDEX "DistillExample_shop_answerLogId_key" ON "DistillExample"("shop", "answerLogId");

-- CreateIndex
CREATE INDEX "DistillEvalResult_shop_runId_idx" ON "DistillEvalResult"("shop", "runId");

-- CreateIndex
CREATE INDEX "DistillEvalResult_answerLogId_idx" ON "DistillEvalResult"("answerLogId");

-- CreateIndex
CREATE INDEX "DistillShadowResult_shop_createdAt_idx" ON "DistillShadowResult"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "DistillShadowResult_answerLogId_idx" ON "DistillShadowResult"("answerLogId");

-- CreateIndex
CREATE INDEX "AnswerLog_shop_tier_intent_createdAt_idx" ON "AnswerLog"("shop", "tier", "intent", "createdAt");

