/**
 * The Playground's input, read from the URL (`?query=&items=`, items one per line) the same way by the page and
 * by its score route: an example when the URL has none, blank lines dropped, at most 50 items.
 */
import { param } from './search-params';

/** The most items scored at once. */
export const MAX_ITEMS = 50;

const EXAMPLE_QUERY = 'angle bracket';
const EXAMPLE_ITEMS =
  'Acme Steel-Tie 12-Gauge Angle\nDeckMate 8 x 3 in. Star Flat-Head Wood Deck Screws\nBehr Premium Deck Paint';

/** A Playground input: the query, the items' text as typed, and the items scored. */
export interface PlaygroundInput {
  readonly query: string;
  readonly itemsText: string;
  readonly items: readonly string[];
}

/** The items of a text, one per line, blank lines dropped, at most {@link MAX_ITEMS}. */
export function itemsOf(text: string): string[] {
  return text
    .split('\n')
    .map((t) => t.trim())
    .filter((t) => t.length > 0)
    .slice(0, MAX_ITEMS);
}

/** The input a URL's search parameters describe. */
export function readPlaygroundInput(
  params: Readonly<Record<string, string | string[] | undefined>>,
): PlaygroundInput {
  const query = (param(params, 'query') ?? EXAMPLE_QUERY).slice(0, 500);
  const itemsText = param(params, 'items') ?? EXAMPLE_ITEMS;
  return { query, itemsText, items: itemsOf(itemsText) };
}

/** The Playground's URL query for an input. */
export function playgroundSearch(query: string, itemsText: string): string {
  return new URLSearchParams({ query, items: itemsText }).toString();
}
