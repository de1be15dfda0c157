// A layer of the map: a collection drawn by the server's WMS (with its SLD style,
// so that the legend is GetLegendGraphic's) or as vector data (MVT tiles, or the
// filtered features as GeoJSON), with the viewer's CQL2 filter applied either way.
import ImageLayer from 'ol/layer/Image';
import VectorLayer from 'ol/layer/Vector';
import VectorTileLayer from 'ol/layer/VectorTile';
import ImageWMS from 'ol/source/ImageWMS';
import VectorSource from 'ol/source/Vector';
import VectorTileSource from 'ol/source/VectorTile';
import MVT from 'ol/format/MVT';
import GeoJSON from 'ol/format/GeoJSON';
import { bbox as bboxStrategy } from 'ol/loadingstrategy';
import { transformExtent } from 'ol/proj';
import { Circle, Fill, Stroke, Style } from 'ol/style';
import type BaseLayer from 'ol/layer/Base';
import type Feature from 'ol/Feature';
import type { LayerInfo } from '../catalogue';

export type RenderMode = 'wms' | 'vector';

const PALETTE = ['#b2182b', '#2166ac', '#1b7837', '#762a83', '#e08214', '#01665e'];

export function vectorStyle(colour: string, geometryType: string): Style {
  const polygon = /polygon/i.test(geometryType);
  return new Style({
    image: new Circle({ radius: 4, fill: new Fill({ color: colour }), stroke: new Stroke({ color: '#fff', width: 1 }) }),
    stroke: new Stroke({ color: colour, width: polygon ? 1.2 : 2 }),
    fill: new Fill({ color: polygon ? `${colour}33` : 'transparent' }),
  });
}

export class MapLayer {
  readonly layer: BaseLayer;
  mode: RenderMode;
  filter: string | undefined;
  private readonly wms?: ImageLayer<ImageWMS>;
  private readonly tiles?: VectorTileLayer;
  private readonly features?: VectorLayer<VectorSource>;
  readonly colour: string;
  style: string;

  constructor(readonly info: LayerInfo, readonly root: string, index: number, mode: RenderMode, visible: boolean) {
    this.mode = info.kind === 'raster' ? 'wms' : mode;
    this.colour = PALETTE[index % PALETTE.length];
    this.style = info.styles?.[0] ?? '';
    const style = vectorStyle(this.colour, info.geometryType);
    this.wms = new ImageLayer({
      source: new ImageWMS({
        url: `${root}/wms`,
        params: { LAYERS: info.id, STYLES: this.style, FORMAT: 'image/png', TRANSPARENT: true, VERSION: '1.3.0' },
        ratio: 1.2,
      }),
      properties: { amisLayer: info.id },
    });
    if (info.kind === 'vector') {
      this.tiles = new VectorTileLayer({
        source: new VectorTileSource({
          format: new MVT(),
          url: `${root}/collections/${encodeURIComponent(info.id)}/tiles/WebMercatorQuad/{z}/{y}/{x}`,
          maxZoom: 16,
        }),
        style,
        properties: { amisLayer: info.id },
      });
      const source = new VectorSource<Feature>({
        format: new GeoJSON<Feature>(),
        strategy: bboxStrategy,
        url: (extent) => {
          const box = transformExtent(extent, 'EPSG:3857', 'EPSG:4326').map((v, i) =>
            Math.max(i % 2 ? -90 : -180, Math.min(i % 2 ? 90 : 180, v)));
          const q = new URLSearchParams({ bbox: box.join(','), limit: '10000', f: 'json' });
          if (this.filter) q.set('filter', this.filter);
          return `${root}/collections/${encodeURIComponent(info.id)}/items?${q}`;
        },
      });
      this.features = new VectorLayer({ source, style, properties: { amisLayer: info.id } });
    }
    // One group-like wrapper is not needed: the active child is swapped in the map.
    this.layer = this.current();
    this.setVisible(visible);
  }

  // The OpenLayers layer that draws now.
  current(): BaseLayer {
    if (this.mode === 'wms' || !this.tiles || !this.features) return this.wms!;
    return this.filter ? this.features : this.tiles;
  }

  all(): BaseLayer[] {
    return [this.wms, this.tiles, this.features].filter((l): l is NonNullable<typeof l> => !!l);
  }

  wmsSource(): ImageWMS | undefined {
    return this.mode === 'wms' ? this.wms?.getSource() ?? undefined : undefined;
  }

  setVisible(visible: boolean): void {
    for (const l of this.all()) l.setVisible(visible && l === this.current());
    this.visible = visible;
  }

  visible = true;

  setOpacity(opacity: number): void {
    for (const l of this.all()) l.setOpacity(opacity);
  }

  setMode(mode: RenderMode): void {
    if (this.info.kind === 'raster') return;
    this.mode = mode;
    this.setVisible(this.visible);
  }

  setFilter(filter: string | undefined): void {
    this.filter = filter;
    this.wms?.getSource()?.updateParams({ CQL_FILTER: filter });
    this.features?.getSource()?.refresh();
    this.setVisible(this.visible);
  }

  setStyle(style: string): void {
    this.style = style;
    this.wms?.getSource()?.updateParams({ STYLES: style });
  }

  // Published data changed: everything is read again. Tiles are kept by browsers
  // for a minute (Cache-Control), so their address changes.
  reload(version: number): void {
    this.wms?.getSource()?.refresh();
    this.features?.getSource()?.refresh();
    const tiles = this.tiles?.getSource();
    if (tiles) tiles.setUrl(`${this.root}/collections/${encodeURIComponent(this.info.id)}/tiles/WebMercatorQuad/{z}/{y}/{x}?v=${version}`);
  }

  legendUrl(): string {
    const q = new URLSearchParams({ SERVICE: 'WMS', VERSION: '1.3.0', REQUEST: 'GetLegendGraphic', FORMAT: 'image/png', LAYER: this.info.id, STYLE: this.style });
    return `${this.root}/wms?${q}`;
  }
}
