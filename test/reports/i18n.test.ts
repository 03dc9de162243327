// The message catalogue is complete in every language: the same areas, the same keys, no empty
// label, and a function wherever English has one (the type check says the same at build time).
import { describe, expect, it } from 'vitest';
import { allCatalogues, LANGS } from '../../src/report/i18n/index.js';

describe('report message catalogue', () => {
  const all = allCatalogues();
  const en = all.en as Record<string, Record<string, unknown>>;
  for (const lang of LANGS) {
    it(`${lang} has every key English has, and no other`, () => {
      const cat = all[lang] as Record<string, Record<string, unknown>>;
      expect(Object.keys(cat).sort()).toEqual(Object.keys(en).sort());
      for (const area of Object.keys(en)) {
        expect(Object.keys(cat[area]).sort(), area).toEqual(Object.keys(en[area]).sort());
        for (const [key, value] of Object.entries(cat[area])) {
          expect(typeof value, `${area}.${key}`).toBe(typeof en[area][key]);
          if (typeof value === 'string') expect(value.trim(), `${area}.${key}`).not.toBe('');
          // a list of column headings: as many as English has, each a string
          if (Array.isArray(value)) {
            expect(value.length, `${area}.${key}`).toBe((en[area][key] as unknown[]).length);
            for (const x of value) expect(typeof x, `${area}.${key}`).toBe('string');
          }
        }
      }
    });
  }
});
