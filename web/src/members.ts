import { t } from './i18n';

// The ASEAN Member States and the Plus Three, by ISO 3166-1 alpha-3 code: the
// countries AMIS serves (ASOMM+3). Names as ASEAN writes them.
export interface Member {
  iso3: string;
  name: string;
  group: 'ASEAN' | 'Plus Three';
}

export const MEMBERS: Member[] = [
  { iso3: 'BRN', name: 'Brunei Darussalam', group: 'ASEAN' },
  { iso3: 'KHM', name: 'Cambodia', group: 'ASEAN' },
  { iso3: 'IDN', name: 'Indonesia', group: 'ASEAN' },
  { iso3: 'LAO', name: 'Lao PDR', group: 'ASEAN' },
  { iso3: 'MYS', name: 'Malaysia', group: 'ASEAN' },
  { iso3: 'MMR', name: 'Myanmar', group: 'ASEAN' },
  { iso3: 'PHL', name: 'Philippines', group: 'ASEAN' },
  { iso3: 'SGP', name: 'Singapore', group: 'ASEAN' },
  { iso3: 'THA', name: 'Thailand', group: 'ASEAN' },
  { iso3: 'VNM', name: 'Viet Nam', group: 'ASEAN' },
  { iso3: 'CHN', name: 'China', group: 'Plus Three' },
  { iso3: 'JPN', name: 'Japan', group: 'Plus Three' },
  { iso3: 'KOR', name: 'Republic of Korea', group: 'Plus Three' },
];

// A country's name in the reader's language ("country.IDN"); else the name given
// (e.g. by the data), else the code.
export function countryName(iso3: string, known: Array<{ iso3: string; name: string }> = MEMBERS): string {
  const key = `country.${iso3}`;
  const name = t(key);
  return name !== key ? name : known.find((c) => c.iso3 === iso3)?.name ?? iso3;
}
