-- CreateTable
CREATE TABLE "SearchIndex" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "model" TEXT NOT NULL,
    "dimensions" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'building',
    "chunks" INTEGER NOT NULL DEFAULT 0,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "readyAt" DATETIME,
    "retiredAt" DATETIME
);

-- CreateIndex
CREATE UNIQUE INDEX "SearchIndex_shop_name_key" ON "SearchIndex"("shop", "name");

