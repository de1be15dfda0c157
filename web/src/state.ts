// What the portal's panels share: the layers, the active one (the table, the
// filters and the downloads are about it), its filter, and who is logged in.
import type { Session } from './api';
import { buildFilter, NO_FILTER, type FilterChoice } from './cql2';
import type { MapLayer } from './viewer/map-layers';

export type PortalEvent = 'active' | 'filter' | 'session' | 'data';

export class PortalState {
  layers: MapLayer[] = [];
  active: MapLayer | undefined;
  choice: FilterChoice = NO_FILTER;
  session: Session | null = null;
  private listeners = new Map<PortalEvent, Array<() => void>>();

  on(event: PortalEvent, listener: () => void): void {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }

  emit(event: PortalEvent): void {
    for (const l of this.listeners.get(event) ?? []) l();
  }

  layer(id: string): MapLayer | undefined {
    return this.layers.find((l) => l.info.id === id);
  }

  setActive(id: string): void {
    const next = this.layer(id);
    if (!next || next === this.active) return;
    this.active?.setFilter(undefined);
    this.active = next;
    this.choice = NO_FILTER;
    this.emit('active');
  }

  // The active layer's CQL2 filter, or undefined.
  filter(): string | undefined {
    return this.active ? buildFilter(this.active.info.roles, this.choice) : undefined;
  }

  setChoice(choice: FilterChoice): void {
    this.choice = choice;
    this.active?.setFilter(this.filter());
    this.emit('filter');
  }

  setSession(session: Session | null): void {
    this.session = session;
    this.emit('session');
  }

  // Published data changed (an approval): maps and tables read again.
  private version = 0;

  dataChanged(): void {
    ++this.version;
    for (const l of this.layers) l.reload(this.version);
    this.emit('data');
  }
}
