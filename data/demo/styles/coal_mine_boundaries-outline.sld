<?xml version="1.0" encoding="UTF-8"?>
<StyledLayerDescriptor version="1.1.0" xmlns="http://www.opengis.net/sld" xmlns:se="http://www.opengis.net/se"
  xmlns:ogc="http://www.opengis.net/ogc" xmlns:xlink="http://www.w3.org/1999/xlink"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd">
  <NamedLayer>
    <se:Name>coal_mine_boundaries</se:Name>
    <UserStyle>
      <se:Name>outline</se:Name>
      <se:Description><se:Title>Mine boundaries</se:Title><se:Abstract>Mapped coal mine boundaries in dark grey with a dashed outline; names from 1:250,000.</se:Abstract></se:Description>
      <se:FeatureTypeStyle>
      <se:Rule>
        <se:Name>boundary</se:Name>
        <se:Description><se:Title>Coal mine boundary</se:Title></se:Description>
        <se:PolygonSymbolizer><se:Fill><se:SvgParameter name="fill">#4d4d4d</se:SvgParameter><se:SvgParameter name="fill-opacity">0.35</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name="stroke">#1a1a1a</se:SvgParameter><se:SvgParameter name="stroke-width">1.2</se:SvgParameter><se:SvgParameter name="stroke-dasharray">4 2</se:SvgParameter></se:Stroke></se:PolygonSymbolizer>
      </se:Rule>
      <se:Rule>
        <se:Name>names</se:Name>
        <se:Description><se:Title>Mine name (at 1:250,000 and larger)</se:Title></se:Description>
        <se:MaxScaleDenominator>250000</se:MaxScaleDenominator>
        <se:TextSymbolizer><se:Label><ogc:PropertyName>mine_name</ogc:PropertyName></se:Label><se:Font><se:SvgParameter name="font-size">10</se:SvgParameter></se:Font><se:Halo><se:Radius>1.5</se:Radius><se:Fill><se:SvgParameter name="fill">#ffffff</se:SvgParameter></se:Fill></se:Halo><se:Fill><se:SvgParameter name="fill">#1a1a1a</se:SvgParameter></se:Fill></se:TextSymbolizer>
      </se:Rule>
      </se:FeatureTypeStyle>
    </UserStyle>
  </NamedLayer>
</StyledLayerDescriptor>
