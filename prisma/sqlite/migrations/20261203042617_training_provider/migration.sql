-- CreateTable
CREATE TABLE "TrainingJob" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "simulated" BOOLEAN NOT NULL DEFAULT false,
    "providerJobId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "providerStatus" TEXT,
    "baseModel" TEXT NOT NULL,
    "hyperparameters" TEXT NOT NULL DEFAULT '{}',
    "estimatedPriceUsd" REAL,
    "priceSource" TEXT,
    "trainingFileId" TEXT,
    "validationFileId" TEXT,
    "events" TEXT NOT NULL DEFAULT '[]',
    "lossPoints" TEXT NOT NULL DEFAULT '[]',
    "checkpoints" TEXT NOT NULL DEFAULT '[]',
    "resultModel" TEXT,
    "errorCode" TEXT,
    "error" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    "finishedAt" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_ShopSettings" (
    "shop" TEXT NOT NULL PRIMARY KEY,
    "data" TEXT NOT NULL DEFAULT '{}',
    "secrets" TEXT,
    "training" TEXT NOT NULL DEFAULT '{}',
    "trainingSecrets" TEXT,
    "updatedAt" DATETIME NOT NULL
);
INSERT INTO "new_ShopSettings" ("data", "secrets", "shop", "updatedAt") SELECT "data", "secrets", "shop", "updatedAt" FROM "ShopSettings";
DROP TABLE "ShopSettings";
ALTER TABLE "new_ShopSettings" RENAME TO "ShopSettings";
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "TrainingJob_shop_purpose_createdAt_idx" ON "TrainingJob"("shop", "purpose", "createdAt");

