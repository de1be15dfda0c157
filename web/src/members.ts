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
