/**
 * Every page of a Batch data-plane list. `@azure/batch` 10.x returns one page per call, with the
 * next page's URL in `odatanextLink` (the REST `odata.nextLink`, BatchService.json's `x-ms-pageable`
 * `nextLinkName`); Batch pages hold at most 1000 items, so a pool, job list or job beyond that is
 * only seen whole by following the links.
 */

/** One page as `@azure/batch` returns it. */
export type BatchPage<T> = T[] & { odatanextLink?: string };

/** Yields every item of every page, reading the next page only when the previous one is consumed. */
export async function* everyItem<T>(first: () => Promise<BatchPage<T>>, next: (link: string) => Promise<BatchPage<T>>): AsyncGenerator<T, void, undefined> {
  let page = await first();
  yield* page;
  while (page.odatanextLink) {
    const link = page.odatanextLink;
    page = await next(link);
    yield* page;
  }
}

/** Collects an async iterable into an array. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
