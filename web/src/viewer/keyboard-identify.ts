// Identify without a mouse: the focused map shows a crosshair at its centre; the arrow
// keys move the map under it (OpenLayers' KeyboardPan, + and - zoom) and Enter or Space
// identifies what lies under the crosshair. Where it is, and what was found, go to the
// live region for screen readers.
import { toLonLat } from 'ol/proj';
import type { MapView } from './map-view';
import type { Place } from './identify';
import { announce } from '../dom';
import { t } from '../i18n';

export function lonLatText([lon, lat]: number[]): string {
  const f = (v: number, pos: string, neg: string) => `${Math.abs(v).toFixed(4)}° ${v >= 0 ? pos : neg}`;
  return `${f(lat, 'N', 'S')}, ${f(lon, 'E', 'W')}`;
}

export function setUpKeyboardIdentify(view: MapView, identifyAt: (place: Place) => Promise<void>): void {
  const target = view.map.getTargetElement();
  if (!target) return;
  const crosshair = () => {
    const coordinate = view.map.getView().getCenter();
    if (!coordinate) return undefined;
    const lonLat = toLonLat(coordinate);
    // For tests and tools: where the crosshair is, in longitude,latitude and metres per pixel.
    target.dataset.crosshair = lonLat.map((v) => v.toFixed(7)).join(',');
    target.dataset.resolution = String(view.map.getView().getResolution() ?? '');
    return { coordinate, lonLat };
  };
  view.map.on('moveend', () => {
    if (document.activeElement === target) {
      const at = crosshair();
      if (at) announce(t('keyboard.crosshair', { place: lonLatText(at.lonLat) }));
    }
  });
  target.addEventListener('keydown', (e) => {
    // Only keys aimed at the map itself, not at its buttons (zoom, attribution).
    if (e.target !== target || (e.key !== 'Enter' && e.key !== ' ') || e.altKey || e.ctrlKey || e.metaKey) return;
    e.preventDefault();
    const at = crosshair();
    if (!at) return;
    announce(t('keyboard.identifying', { place: lonLatText(at.lonLat) }));
    void identifyAt({ coordinate: at.coordinate, pixel: view.map.getPixelFromCoordinate(at.coordinate) });
  });
}
