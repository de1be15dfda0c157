import { describe, expect, it } from 'vitest';
import { tableColumns } from '../src/viewer/feature-table';
import type { Property } from '../src/catalogue';

const props = (...names: string[]): Property[] => names.map((name) => ({ name, title: name, type: 'string' }));

describe('feature table columns', () => {
  it('puts the roles first, then other properties, without links and other-language names', () => {
    const columns = tableColumns(props('gem_mine_id', 'gem_wiki_url', 'mine_name_non_eng', 'status', 'iso3', 'mine_name', 'owners'),
      { name: 'mine_name', country: 'iso3', status: 'status' }, 5);
    expect(columns.map((c) => c.name)).toEqual(['mine_name', 'iso3', 'status', 'gem_mine_id', 'owners']);
  });
});
