<?xml version="1.0" encoding="UTF-8"?>
<StyledLayerDescriptor version="1.0.0" xmlns="http://www.opengis.net/sld" xmlns:ogc="http://www.opengis.net/ogc">
  <NamedLayer><Name>geoid</Name><UserStyle><Title>Geoid classes</Title><FeatureTypeStyle><Rule>
    <RasterSymbolizer><Opacity>1</Opacity>
      <ColorMap type="intervals">
        <ColorMapEntry color="#0000ff" quantity="-20" label="below -20 m"/>
        <ColorMapEntry color="#00ff00" quantity="0" opacity="0.5" label="-20 to 0 m"/>
        <ColorMapEntry color="#ff0000" quantity="100" label="0 to 100 m"/>
      </ColorMap>
    </RasterSymbolizer>
  </Rule></FeatureTypeStyle></UserStyle></NamedLayer>
</StyledLayerDescriptor>
