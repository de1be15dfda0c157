<?xml version="1.0" encoding="UTF-8"?>
<StyledLayerDescriptor version="1.1.0" xmlns="http://www.opengis.net/sld" xmlns:se="http://www.opengis.net/se"
  xmlns:ogc="http://www.opengis.net/ogc" xmlns:xlink="http://www.w3.org/1999/xlink"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd">
  <NamedLayer>
    <se:Name>countries</se:Name>
    <UserStyle>
      <se:Name>asean-plus-three</se:Name>
      <se:Description><se:Title>ASEAN Member States and Plus Three</se:Title><se:Abstract>The ten ASEAN Member States in sand, China, Japan and the Republic of Korea in blue, named from 1:40,000,000.</se:Abstract></se:Description>
      <se:FeatureTypeStyle>
      <se:Rule>
        <se:Name>asean</se:Name>
        <se:Description><se:Title>ASEAN Member States</se:Title></se:Description>
        <ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>group</ogc:PropertyName><ogc:Literal>ASEAN</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>
        <se:PolygonSymbolizer><se:Fill><se:SvgParameter name="fill">#fdd49e</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name="stroke">#b35806</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke></se:PolygonSymbolizer>
      </se:Rule>
      <se:Rule>
        <se:Name>plus-three</se:Name>
        <se:Description><se:Title>Plus Three (China, Japan, Republic of Korea)</se:Title></se:Description>
        <ogc:Filter><ogc:PropertyIsEqualTo><ogc:PropertyName>group</ogc:PropertyName><ogc:Literal>Plus Three</ogc:Literal></ogc:PropertyIsEqualTo></ogc:Filter>
        <se:PolygonSymbolizer><se:Fill><se:SvgParameter name="fill">#c6dbef</se:SvgParameter><se:SvgParameter name="fill-opacity">0.9</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name="stroke">#2166ac</se:SvgParameter><se:SvgParameter name="stroke-width">1</se:SvgParameter></se:Stroke></se:PolygonSymbolizer>
      </se:Rule>
      <se:Rule>
        <se:Name>names</se:Name>
        <se:Description><se:Title>Country name (at 1:40,000,000 and larger)</se:Title></se:Description>
        <se:MaxScaleDenominator>40000000</se:MaxScaleDenominator>
        <se:TextSymbolizer><se:Label><ogc:PropertyName>name</ogc:PropertyName></se:Label><se:Font><se:SvgParameter name="font-size">12</se:SvgParameter><se:SvgParameter name="font-weight">bold</se:SvgParameter></se:Font><se:Halo><se:Radius>2</se:Radius><se:Fill><se:SvgParameter name="fill">#ffffff</se:SvgParameter></se:Fill></se:Halo><se:Fill><se:SvgParameter name="fill">#404040</se:SvgParameter></se:Fill></se:TextSymbolizer>
      </se:Rule>
      </se:FeatureTypeStyle>
    </UserStyle>
  </NamedLayer>
</StyledLayerDescriptor>
