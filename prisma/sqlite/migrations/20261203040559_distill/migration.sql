-- CreateTable
CREATE TABLE "DistillExample" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "answerLogId" TEXT NOT NULL,
    "intent" TEXT NOT NULL,
    "split" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "DistillEvalResult" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "costUsd" REAL NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "DistillShadowResult" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "answerLogId" TEXT NOT NULL,
    "tier" TEXT NOT NULL,
    "intent" TEXT NOT NULL,
    "validated" BOOLEAN NOT NULL,
    "refused" BOOLEAN NOT NULL,
    "agreed" BOOLEAN NOT NULL,
    "costUsd" REAL NOT NULL,
    "latencyMs" INTEGER NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "DistillRollout" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "data" TEXT NOT NULL DEFAULT '{}',
    "updatedAt" DATETIME NOT NULL
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AnswerLog" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "surface" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "productHandle" TEXT,
    "intent" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "refused" BOOLEAN NOT NULL,
    "citations" TEXT NOT NULL DEFAULT '[]',
    "sources" TEXT NOT NULL DEFAULT '[]',
    "validation" TEXT NOT NULL DEFAULT '{}',
    "model" TEXT NOT NULL,
    "inputTokens" INTEGER NOT NULL DEFAULT 0,
    "outputTokens" INTEGER NOT NULL DEFAULT 0,
    "costUsd" REAL NOT NULL DEFAULT 0,
    "latencyMs" INTEGER NOT NULL DEFAULT 0,
    "clientHash" TEXT,
    "tier" TEXT NOT NULL DEFAULT 'teacher',
    "routeReason" TEXT,
    "trace" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
INSERT INTO "new_AnswerLog" ("answer", "citations", "clientHash", "costUsd", "createdAt", "id", "inputTokens", "intent", "latencyMs", "locale", "model", "outputTokens", "productHandle", "question", "refused", "shop", "sources", "surface", "validation") SELECT "answer", "citations", "clientHash", "costUsd", "createdAt", "id", "inputTokens", "intent", "latencyMs", "locale", "model", "outputTokens", "productHandle", "question", "refused", "shop", "sources", "surface", "validation" FROM "AnswerLog";
DROP TABLE "AnswerLog";
ALTER TABLE "new_AnswerLog" RENAME TO "AnswerLog";
CREATE INDEX "AnswerLog_shop_createdAt_idx" ON "AnswerLog"("shop", "createdAt");
CREATE INDEX "AnswerLog_shop_tier_intent_createdAt_idx" ON "AnswerLog"("shop", "tier", "intent", "createdAt");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

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

