/**
 * Unit words and their canonical spelling. A unit is recognised only right after a number token (or after
 * `sq` / `cu`, which begin two-word units), so "in" the preposition stays "in" while "1/2 in." becomes
 * "1/2 inch". The canonical forms are the full English words, which have pretrained word vectors.
 */

/**
 * Unit spelling → canonical unit. Single letters that are ambiguous in product titles are left out on
 * purpose: "w" (watt or width), "h", "l", "d" (dimensions), "a" (amp, or the mangled degree sign of the
 * Home Depot data); "v" is kept because "12v" / "18v" are almost always volts.
 */
export const UNIT_ALIASES: ReadonlyMap<string, string> = new Map([
  ['in', 'inch'],
  ['inch', 'inch'],
  ['inches', 'inch'],
  ['ft', 'foot'],
  ['foot', 'foot'],
  ['feet', 'foot'],
  ['yd', 'yard'],
  ['yard', 'yard'],
  ['yards', 'yard'],
  ['lb', 'pound'],
  ['lbs', 'pound'],
  ['pound', 'pound'],
  ['pounds', 'pound'],
  ['oz', 'ounce'],
  ['ounce', 'ounce'],
  ['ounces', 'ounce'],
  ['gal', 'gallon'],
  ['gallon', 'gallon'],
  ['gallons', 'gallon'],
  ['qt', 'quart'],
  ['quart', 'quart'],
  ['quarts', 'quart'],
  ['v', 'volt'],
  ['volt', 'volt'],
  ['volts', 'volt'],
  ['watt', 'watt'],
  ['watts', 'watt'],
  ['amp', 'amp'],
  ['amps', 'amp'],
  ['ampere', 'amp'],
  ['amperes', 'amp'],
  ['ga', 'gauge'],
  ['gauge', 'gauge'],
  ['gage', 'gauge'],
  ['mm', 'mm'],
  ['cm', 'cm'],
  ['sq', 'square'],
  ['square', 'square'],
  ['cu', 'cubic'],
  ['cubic', 'cubic'],
  ['pc', 'piece'],
  ['pcs', 'piece'],
  ['piece', 'piece'],
  ['pieces', 'piece'],
  ['pk', 'pack'],
  ['pack', 'pack'],
]);

/** Canonical units that begin a two-word unit, so the next word may be a unit too ("sq. ft.", "cu. ft."). */
export const UNIT_PREFIXES: ReadonlySet<string> = new Set(['square', 'cubic']);

/** The unit written as a mark right after a number: `6'` is feet, `1/2"` is inches. */
export const UNIT_MARKS: ReadonlyMap<string, string> = new Map([
  ["'", 'foot'],
  ['"', 'inch'],
]);
