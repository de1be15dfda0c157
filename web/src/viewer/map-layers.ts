// A layer of the map: a collection drawn by the server's WMS (with its SLD style,
// so that the legend is GetLegendGraphic's) or as vector tiles (MVT), with the
// viewer's CQL2 filter applied by the server either way (WMS CQL_FILTER, the
// tiles' filter parameter).
import ImageLayer from 'ol/layer/Image';
import VectorTileLayer from 'ol/layer/VectorTile';
import ImageWMS from 'ol/source/ImageWMS';
import VectorTileSource from 'ol/source/VectorTile';
import MVT from 'ol/format/MVT';
import { Circle, Fill, Stroke, Style } from 'ol/style';
import type BaseLayer from 'ol/layer/Base';
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
  private version = 0; // of the published data, in the tile addresses
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
        source: new VectorTileSource({ format: new MVT(), url: this.tileUrl(), maxZoom: 16 }),
        style,
        properties: { amisLayer: info.id },
      });
    }
    // One group-like wrapper is not needed: the active child is swapped in the map.
    this.layer = this.current();
    this.setVisible(visible);
  }

  // The OpenLayers layer that draws now.
  current(): BaseLayer {
    return this.mode === 'wms' || !this.tiles ? this.wms! : this.tiles;
  }

  all(): BaseLayer[] {
    return [this.wms, this.tiles].filter((l): l is NonNullable<typeof l> => !!l);
  }

  wmsSource(): ImageWMS | undefined {
    return this.mode === 'wms' ? this.wms?.getSource() ?? undefined : undefined;
  }

  setVisible(visible: boolean): void {
    for (const l of this.all()) l.setVisible(visible && l === this.current());
    this.visible = visible;
  }

  visible = true;

  opacity = 1;

  setOpacity(opacity: number): void {
    this.opacity = opacity;
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
    this.tiles?.getSource()?.setUrl(this.tileUrl());
  }

  setStyle(style: string): void {
    this.style = style;
    this.wms?.getSource()?.updateParams({ STYLES: style });
  }

  // Published data changed: everything is read again. Tiles are kept by browsers
  // for a minute (Cache-Control), so their address changes.
  reload(version: number): void {
    this.version = version;
    this.wms?.getSource()?.refresh();
    this.tiles?.getSource()?.setUrl(this.tileUrl());
  }

  private tileUrl(): string {
    const q = new URLSearchParams();
    if (this.filter) q.set('filter', this.filter);
    if (this.version) q.set('v', String(this.version));
    const query = q.toString();
    return `${this.root}/collections/${encodeURIComponent(this.info.id)}/tiles/WebMercatorQuad/{z}/{y}/{x}${query ? `?${query}` : ''}`;
  }

  legendUrl(): string {
    const q = new URLSearchParams({ SERVICE: 'WMS', VERSION: '1.3.0', REQUEST: 'GetLegendGraphic', FORMAT: 'image/png', LAYER: this.info.id, STYLE: this.style });
    return `${this.root}/wms?${q}`;
  }
}
