-- CreateTable
CREATE TABLE "VoiceProfile" (
    "shop" TEXT NOT NULL,
    "brief" TEXT NOT NULL DEFAULT '',
    "pins" TEXT NOT NULL DEFAULT '[]',
    "excludes" TEXT NOT NULL DEFAULT '[]',
    "salesRanking" TEXT,
    "salesNote" TEXT,
    "adoptedEvaluationId" INTEGER,
    "adoptedModel" TEXT,
    "adoptedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "VoiceProfile_pkey" PRIMARY KEY ("shop")
);

-- CreateTable
CREATE TABLE "VoiceDataset" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "summary" TEXT NOT NULL,
    "trainJsonl" TEXT NOT NULL,
    "validationJsonl" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VoiceDataset_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VoiceEvaluation" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "datasetId" INTEGER NOT NULL,
    "promptingModel" TEXT NOT NULL,
    "fineTunedModel" TEXT NOT NULL,
    "results" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "voiceDrift" DOUBLE PRECISION NOT NULL,
    "approvedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VoiceEvaluation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VoiceBlindChoice" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "evaluationId" INTEGER NOT NULL,
    "handle" TEXT NOT NULL,
    "chosen" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "VoiceBlindChoice_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "VoiceCopyRevision" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "handle" TEXT NOT NULL,
    "previousHtml" TEXT NOT NULL,
    "draftHtml" TEXT NOT NULL,
    "publishedHtml" TEXT,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "model" TEXT NOT NULL,
    "claims" TEXT NOT NULL DEFAULT '[]',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedAt" TIMESTAMP(3),
    "restoredAt" TIMESTAMP(3),

    CONSTRAINT "VoiceCopyRevision_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "VoiceDataset_shop_createdAt_idx" ON "VoiceDataset"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "VoiceEvaluation_shop_createdAt_idx" ON "VoiceEvaluation"("shop", "createdAt");

-- CreateIndex
CREATE INDEX "VoiceBlindChoice_shop_idx" ON "VoiceBlindChoice"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "VoiceBlindChoice_evaluationId_handle_key" ON "VoiceBlindChoice"("evaluationId", "handle");

-- CreateIndex
CREATE INDEX "VoiceCopyRevision_shop_handle_createdAt_idx" ON "VoiceCopyRevision"("shop", "handle", "createdAt");

