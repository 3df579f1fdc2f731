// Lists every task of a job through the raw SDK, page by page, retrying whatever the fault injector breaks.
import type { BatchServiceClient, CloudTask } from "@azure/batch";

export async function listEveryTask(batch: BatchServiceClient, jobId: string, maxAttempts = 100): Promise<CloudTask[]> {
  const retrying = async <T>(call: () => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (attempt >= maxAttempts) throw error;
      }
    }
  };
  const tasks: CloudTask[] = [];
  let page = await retrying(() => batch.task.list(jobId, { taskListOptions: { maxResults: 1000 } }));
  tasks.push(...page);
  while (page.odatanextLink) {
    const next = page.odatanextLink;
    page = await retrying(() => batch.task.listNext(next));
    tasks.push(...page);
  }
  return tasks;
}
