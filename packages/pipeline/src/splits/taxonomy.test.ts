import { describe, expect, it } from 'vitest';

import { HOMEDEPOT_TAXONOMY } from './homedepot-taxonomy';
import { createDepartmentMatcher, singularize, tokenizeTitle, type Taxonomy } from './taxonomy';

describe('tokenizeTitle / singularize', () => {
  it('lower-cases, splits on non-alphanumerics and singularises', () => {
    expect(tokenizeTitle('Drill-Bits (12-Pack) for WOODEN Boxes; Batteries & Glasses')).toEqual([
      'drill',
      'bit',
      '12',
      'pack',
      'for',
      'wooden',
      'box',
      'battery',
      'glass',
    ]);
    expect(
      ['stainless', 'gas', 'cactus', 'series', 'switches', 'hoses', '2x4s'].map(singularize),
    ).toEqual(['stainless', 'gas', 'cactus', 'sery', 'switch', 'hose', '2x4s']);
  });
});

describe('HOMEDEPOT_TAXONOMY', () => {
  const m = createDepartmentMatcher(HOMEDEPOT_TAXONOMY);
  // Hand-written titles in the catalogue's style (not taken from the data file).
  const cases: [string, string][] = [
    ['Acme 1 gal. Ultra White Eggshell Interior Paint and Primer', 'paint'],
    ['Brand 1/2 in. x 10 ft. PVC Schedule 40 Pipe', 'plumbing'],
    ['Brand 50-Gal. Tall Natural Gas Water Heater', 'plumbing'], // "water heater" outranks "heater"
    ['Brand Portable 1500-Watt Electric Space Heater', 'heating-cooling'],
    ['Brand Single-Handle Pull-Down Sprayer Kitchen Faucet in Chrome', 'kitchen-bath'],
    ['Brand 52 in. Bronze Ceiling Fan with Light Kit', 'electrical-lighting'], // head segment before "with"
    ['Brand 20-Volt Cordless Drill/Driver Kit with 2 Batteries', 'tools-hardware'],
    ['Brand #10 Zinc-Plated Flat Washers (50-Pack)', 'tools-hardware'], // "flat washer", not the appliance
    ['Brand 4.5 cu. ft. Front Load Washer in White', 'appliances'],
    ['Brand 21 in. Self-Propelled Gas Lawn Mower', 'outdoor-garden'],
    ['Brand 12 in. x 24 in. Slate Grey Porcelain Floor and Wall Tile', 'flooring'],
    ['Brand 2 in. x 4 in. x 8 ft. Pressure-Treated Lumber', 'building-materials'],
    ['Brand 5-Shelf Steel Garage Shelving Unit', 'storage-organization'],
    ['Brand 36 in. x 80 in. Steel Prehung Front Door', 'doors-windows'],
    ['Brand Light Filtering Cellular Shade in White', 'doors-windows'],
    ['Brand Linen Drum Lamp Shade', 'electrical-lighting'],
    ['Brand Replacement Blade for Lawn Mower', 'tools-hardware'], // the head "replacement blade" decides
    ['Brand Decorative Ceramic Figurine', 'other'],
  ];

  it('assigns hand-written titles to the expected departments', () => {
    expect(cases.map(([title]) => [title, m.match(title)])).toEqual(cases);
  });

  it('lists twelve departments plus other, and holds out real departments by default', () => {
    expect(m.ids).toHaveLength(13);
    expect(m.ids.at(-1)).toBe('other');
    expect(HOMEDEPOT_TAXONOMY.defaultHeldOut.every((d) => m.ids.includes(d) && d !== 'other')).toBe(
      true,
    );
  });
});

describe('createDepartmentMatcher rules', () => {
  const taxonomy: Taxonomy = {
    name: 'toy',
    fallback: 'misc',
    defaultHeldOut: [],
    departments: [
      { id: 'a', label: 'A', keywords: ['red', 'blue'] },
      { id: 'b', label: 'B', keywords: ['green', 'red box'] },
    ],
  };
  const m = createDepartmentMatcher(taxonomy);

  it('matches whole words only, longest phrase first, and scores by phrase length', () => {
    expect(m.match('reddish thing')).toBe('misc'); // no partial-word match
    expect(m.match('red boxes')).toBe('b'); // "red box" (2) consumes "red"
    expect(m.match('red blue green')).toBe('a'); // 2 vs 1
  });

  it('breaks score ties by the match that ends last, then by taxonomy order', () => {
    expect(m.match('green red')).toBe('a');
    expect(m.match('red green')).toBe('b');
  });

  it('rejects a keyword listed under two departments and unknown held-out ids', () => {
    expect(() =>
      createDepartmentMatcher({
        ...taxonomy,
        departments: [...taxonomy.departments, { id: 'c', label: 'C', keywords: ['Blues'] }],
      }),
    ).toThrow(/listed under both a and c/);
    expect(() => createDepartmentMatcher({ ...taxonomy, defaultHeldOut: ['zzz'] })).toThrow(
      RangeError,
    );
  });
});
