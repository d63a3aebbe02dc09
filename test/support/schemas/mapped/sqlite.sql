-- CreateTable
CREATE TABLE "background_jobs" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "handler" TEXT NOT NULL,
    "queue" TEXT NOT NULL,
    "priority" INTEGER NOT NULL DEFAULT 50,
    "run_at" DATETIME DEFAULT CURRENT_TIMESTAMP,
    "locked_at" DATETIME,
    "locked_by" TEXT,
    "last_error" TEXT,
    "failed_at" DATETIME,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "background_jobs_priority_run_at_id_idx" ON "background_jobs"("priority", "run_at", "id");

-- CreateIndex
CREATE INDEX "background_jobs_queue_priority_run_at_id_idx" ON "background_jobs"("queue", "priority", "run_at", "id");

