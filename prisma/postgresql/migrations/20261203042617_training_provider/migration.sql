-- AlterTable
ALTER TABLE "ShopSettings" ADD COLUMN     "training" TEXT NOT NULL DEFAULT '{}',
ADD COLUMN     "trainingSecrets" TEXT;

-- CreateTable
CREATE TABLE "TrainingJob" (
    "id" SERIAL NOT NULL,
    "shop" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "provider" TEXT NOT NULL,
    "simulated" BOOLEAN NOT NULL DEFAULT false,
    "providerJobId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "providerStatus" TEXT,
    "baseModel" TEXT NOT NULL,
    "hyperparameters" TEXT NOT NULL DEFAULT '{}',
    "estimatedPriceUsd" DOUBLE PRECISION,
    "priceSource" TEXT,
    "trainingFileId" TEXT,
    "validationFileId" TEXT,
    "events" TEXT NOT NULL DEFAULT '[]',
    "lossPoints" TEXT NOT NULL DEFAULT '[]',
    "checkpoints" TEXT NOT NULL DEFAULT '[]',
    "resultModel" TEXT,
    "errorCode" TEXT,
    "error" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "TrainingJob_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TrainingJob_shop_purpose_createdAt_idx" ON "TrainingJob"("shop", "purpose", "createdAt");

