/**
 * Keyword taxonomies: assign an item title to a department by word-boundary keyword matching.
 *
 * The rule, in order:
 * 1. Tokenise: lower-case, split on anything that is not a letter or digit, and singularise each token with a
 *    small English rule (`batteries` → `battery`, `boxes` → `box`, `faucets` → `faucet`; `ss`/`us`/`is` endings
 *    kept). Keywords go through the same steps, so a keyword matches whole words only, in singular or plural.
 * 2. Head segment: product titles put the product type before a `with` / `for` clause (`Ceiling Fan with Light
 *    Kit`, `Replacement Blade for Mower`), so only the tokens before the first such word are matched; when they
 *    match nothing, the whole title is.
 * 3. Greedy longest match, left to right: at each position the longest keyword phrase that starts there wins
 *    and consumes its tokens (`water heater` consumes `heater`). Each match adds its phrase's token count to its
 *    department's score.
 * 4. The highest score wins; a tie goes to the department whose match ends last (the head noun of a title is
 *    usually its last product word), then to the department listed first. No match → the fallback department.
 */

/** A department and the keywords (words or phrases) that point to it. */
export interface Department {
  /** Machine id, kebab-case (used in `heldOut` and reports). */
  readonly id: string;
  /** Human label. */
  readonly label: string;
  /** Words or multi-word phrases; case, punctuation and plural forms do not matter. */
  readonly keywords: readonly string[];
}

/** A keyword taxonomy of a catalogue. */
export interface Taxonomy {
  readonly name: string;
  readonly departments: readonly Department[];
  /** Id of the department for titles that match no keyword. */
  readonly fallback: string;
  /** Departments held out as out-of-distribution when a split names none. */
  readonly defaultHeldOut: readonly string[];
}

/** A compiled taxonomy. */
export interface DepartmentMatcher {
  readonly taxonomy: Taxonomy;
  /** Every department id, in taxonomy order, the fallback last. */
  readonly ids: readonly string[];
  /** The department id of one title. */
  match(title: string): string;
}

const CLAUSE_WORDS = new Set(['with', 'for', 'featuring', 'including', 'include']);

/** Singularises one lower-case token (rule 1 above). */
export function singularize(token: string): string {
  if (token.length <= 3 || /\d/.test(token)) return token;
  if (token.endsWith('ies')) return `${token.slice(0, -3)}y`;
  if (/(x|ch|sh|ss)es$/.test(token)) return token.slice(0, -2);
  if (token.endsWith('s') && !/(ss|us|is)$/.test(token)) return token.slice(0, -1);
  return token;
}

/** Tokenises a title or keyword (rule 1 above). */
export function tokenizeTitle(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  ).map(singularize);
}

interface Phrase {
  readonly tokens: readonly string[];
  readonly department: number;
}

/**
 * Compiles a taxonomy into a matcher.
 * @throws RangeError for duplicate or missing ids, a keyword listed under two departments, or an unknown
 *   default held-out department
 */
export function createDepartmentMatcher(taxonomy: Taxonomy): DepartmentMatcher {
  const ids = taxonomy.departments.map((d) => d.id);
  if (new Set(ids).size !== ids.length)
    throw new RangeError(`taxonomy ${taxonomy.name} has duplicate department ids`);
  if (ids.includes(taxonomy.fallback))
    throw new RangeError(`the fallback "${taxonomy.fallback}" must not be a keyword department`);
  const allIds = [...ids, taxonomy.fallback];
  for (const h of taxonomy.defaultHeldOut) {
    if (!ids.includes(h))
      throw new RangeError(
        `default held-out department "${h}" is not in taxonomy ${taxonomy.name} (${ids.join(', ')})`,
      );
  }
  const byFirst = new Map<string, Phrase[]>();
  const owner = new Map<string, string>();
  taxonomy.departments.forEach((d, department) => {
    for (const keyword of d.keywords) {
      const tokens = tokenizeTitle(keyword);
      const key = tokens.join(' ');
      const first = tokens[0];
      if (first === undefined) throw new RangeError(`department ${d.id} has an empty keyword`);
      const prev = owner.get(key);
      if (prev !== undefined && prev !== d.id)
        throw new RangeError(`keyword "${keyword}" is listed under both ${prev} and ${d.id}`);
      owner.set(key, d.id);
      const list = byFirst.get(first) ?? [];
      list.push({ tokens, department });
      byFirst.set(first, list);
    }
  });
  for (const list of byFirst.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);

  const score = (tokens: readonly string[]): string | undefined => {
    const scores = new Float64Array(ids.length);
    const lastEnd = new Int32Array(ids.length).fill(-1);
    let any = false;
    for (let i = 0; i < tokens.length;) {
      const hit = (byFirst.get(tokens[i] ?? '') ?? []).find((p) =>
        p.tokens.every((t, j) => tokens[i + j] === t),
      );
      if (hit === undefined) {
        i++;
        continue;
      }
      any = true;
      scores[hit.department] = (scores[hit.department] ?? 0) + hit.tokens.length;
      i += hit.tokens.length;
      lastEnd[hit.department] = i;
    }
    if (!any) return undefined;
    let best = 0;
    for (let d = 1; d < ids.length; d++) {
      const s = scores[d] ?? 0;
      const b = scores[best] ?? 0;
      if (s > b || (s === b && (lastEnd[d] ?? -1) > (lastEnd[best] ?? -1))) best = d;
    }
    return ids[best];
  };

  return {
    taxonomy,
    ids: allIds,
    match(title: string): string {
      const tokens = tokenizeTitle(title);
      const cut = tokens.findIndex((t) => CLAUSE_WORDS.has(t));
      const head = cut > 0 ? score(tokens.slice(0, cut)) : undefined;
      return head ?? score(tokens) ?? taxonomy.fallback;
    },
  };
}
