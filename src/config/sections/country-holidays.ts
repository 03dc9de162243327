/**
 * A calendar's `holidays:` entry `{ country: CN, region?, except? }`: a country's public holidays
 * (and China's make-up working days) from a data package, minus the dates in `except:`.
 */
import { countryHolidays, countryProblem, type CountryHolidays } from '../../calendar/countries.js';
import { formatDay } from '../../time/civil.js';
import type { Path, Problems } from '../positions.js';
import { parseDateRange } from '../values.js';

export interface CountryEntry {
  country: string;
  region?: string;
  except?: (string | Date)[];
}

export const isCountryEntry = (h: unknown): h is CountryEntry => typeof h === 'object' && h !== null && !(h instanceof Date) && 'country' in h;

/** The entry's list, or undefined (with a problem) when its country or region is unknown. */
export function resolveCountry(h: CountryEntry, p: Path, problems: Problems): CountryHolidays | undefined {
  const wrong = countryProblem(h.country, h.region);
  if (wrong) {
    problems.add([...p, wrong.at], wrong.problem);
    return undefined;
  }
  const list = countryHolidays(h.country, h.region);
  const except = new Set<number>();
  (h.except ?? []).forEach((e, k) => {
    const range = parseDateRange(e);
    if (typeof range === 'string') return problems.add([...p, 'except', k], range);
    for (let d = range[0]; d <= range[1]; d++) {
      // a date the data knows nothing of yet (a later year) may be listed ahead of time
      if (list.covered(d) && !list.inList(d)) {
        return problems.add([...p, 'except', k], `${formatDay(d)} is neither a public holiday nor a make-up working day of ${list.label} in ${list.source}, so there is nothing to take out; remove it, or add a day off as its own holidays: entry`);
      }
      except.add(d);
    }
  });
  return except.size ? list.without(except) : list;
}
