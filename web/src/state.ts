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
  // A filter written elsewhere (the investor search's CQL2): it stands for the choice's.
  custom: string | undefined;
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
    this.custom = undefined;
    this.emit('active');
  }

  // The active layer's CQL2 filter, or undefined.
  filter(): string | undefined {
    if (!this.active) return undefined;
    return this.custom ?? buildFilter(this.active.info.roles, this.choice);
  }

  setChoice(choice: FilterChoice): void {
    this.choice = choice;
    this.custom = undefined;
    this.active?.setFilter(this.filter());
    this.emit('filter');
  }

  setCustomFilter(filter: string | undefined): void {
    this.custom = filter;
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
