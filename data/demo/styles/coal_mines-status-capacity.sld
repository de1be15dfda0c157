<?xml version="1.0" encoding="UTF-8"?>
<StyledLayerDescriptor version="1.1.0" xmlns="http://www.opengis.net/sld" xmlns:se="http://www.opengis.net/se"
  xmlns:ogc="http://www.opengis.net/ogc" xmlns:xlink="http://www.w3.org/1999/xlink"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xsi:schemaLocation="http://www.opengis.net/sld http://schemas.opengis.net/sld/1.1.0/StyledLayerDescriptor.xsd">
  <NamedLayer>
    <se:Name>coal_mines</se:Name>
    <UserStyle>
      <se:Name>status-capacity</se:Name>
      <se:Description><se:Title>Coal mines by status, sized by capacity</se:Title><se:Abstract>Colour and mark by GEM status (operating, proposed, mothballed, shelved, cancelled); size by annual capacity in million tonnes (under 1 or unknown, 1 to 5, 5 and more). Names from 1:1,000,000.</se:Abstract></se:Description>
      <se:FeatureTypeStyle>
      <se:Rule>
        <se:Name>operating-15</se:Name>
        <se:Description><se:Title>Operating, 5 Mtpa or more</se:Title></se:Description>
        <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>Operating</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsGreaterThanOrEqualTo><ogc:PropertyName>capacity_mtpa</ogc:PropertyName><ogc:Literal>5</ogc:Literal></ogc:PropertyIsGreaterThanOrEqualTo></ogc:And></ogc:Filter>
        <se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>circle</se:WellKnownName><se:Fill><se:SvgParameter name="fill">#1a9850</se:SvgParameter><se:SvgParameter name="fill-opacity">0.85</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">0.8</se:SvgParameter></se:Stroke></se:Mark><se:Size>15</se:Size></se:Graphic></se:PointSymbolizer>
      </se:Rule>
      <se:Rule>
        <se:Name>proposed-15</se:Name>
        <se:Description><se:Title>Proposed, 5 Mtpa or more</se:Title></se:Description>
        <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>Proposed</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsGreaterThanOrEqualTo><ogc:PropertyName>capacity_mtpa</ogc:PropertyName><ogc:Literal>5</ogc:Literal></ogc:PropertyIsGreaterThanOrEqualTo></ogc:And></ogc:Filter>
        <se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>triangle</se:WellKnownName><se:Fill><se:SvgParameter name="fill">#f46d43</se:SvgParameter><se:SvgParameter name="fill-opacity">0.85</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">0.8</se:SvgParameter></se:Stroke></se:Mark><se:Size>15</se:Size></se:Graphic></se:PointSymbolizer>
      </se:Rule>
      <se:Rule>
        <se:Name>mothballed-15</se:Name>
        <se:Description><se:Title>Mothballed, 5 Mtpa or more</se:Title></se:Description>
        <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>Mothballed</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsGreaterThanOrEqualTo><ogc:PropertyName>capacity_mtpa</ogc:PropertyName><ogc:Literal>5</ogc:Literal></ogc:PropertyIsGreaterThanOrEqualTo></ogc:And></ogc:Filter>
        <se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>circle</se:WellKnownName><se:Fill><se:SvgParameter name="fill">#878787</se:SvgParameter><se:SvgParameter name="fill-opacity">0.85</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">0.8</se:SvgParameter></se:Stroke></se:Mark><se:Size>15</se:Size></se:Graphic></se:PointSymbolizer>
      </se:Rule>
      <se:Rule>
        <se:Name>shelved-15</se:Name>
        <se:Description><se:Title>Shelved, 5 Mtpa or more</se:Title></se:Description>
        <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>Shelved</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsGreaterThanOrEqualTo><ogc:PropertyName>capacity_mtpa</ogc:PropertyName><ogc:Literal>5</ogc:Literal></ogc:PropertyIsGreaterThanOrEqualTo></ogc:And></ogc:Filter>
        <se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>square</se:WellKnownName><se:Fill><se:SvgParameter name="fill">#9970ab</se:SvgParameter><se:SvgParameter name="fill-opacity">0.85</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">0.8</se:SvgParameter></se:Stroke></se:Mark><se:Size>15</se:Size></se:Graphic></se:PointSymbolizer>
      </se:Rule>
      <se:Rule>
        <se:Name>cancelled-15</se:Name>
        <se:Description><se:Title>Cancelled, 5 Mtpa or more</se:Title></se:Description>
        <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>Cancelled</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsGreaterThanOrEqualTo><ogc:PropertyName>capacity_mtpa</ogc:PropertyName><ogc:Literal>5</ogc:Literal></ogc:PropertyIsGreaterThanOrEqualTo></ogc:And></ogc:Filter>
        <se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>x</se:WellKnownName><se:Fill><se:SvgParameter name="fill">#d73027</se:SvgParameter><se:SvgParameter name="fill-opacity">0.85</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">0.8</se:SvgParameter></se:Stroke></se:Mark><se:Size>15</se:Size></se:Graphic></se:PointSymbolizer>
      </se:Rule>
      <se:Rule>
        <se:Name>operating-10</se:Name>
        <se:Description><se:Title>Operating, 1 to 5 Mtpa</se:Title></se:Description>
        <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>Operating</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsBetween><ogc:PropertyName>capacity_mtpa</ogc:PropertyName><ogc:LowerBoundary><ogc:Literal>1</ogc:Literal></ogc:LowerBoundary><ogc:UpperBoundary><ogc:Literal>4.9999</ogc:Literal></ogc:UpperBoundary></ogc:PropertyIsBetween></ogc:And></ogc:Filter>
        <se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>circle</se:WellKnownName><se:Fill><se:SvgParameter name="fill">#1a9850</se:SvgParameter><se:SvgParameter name="fill-opacity">0.85</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">0.8</se:SvgParameter></se:Stroke></se:Mark><se:Size>10</se:Size></se:Graphic></se:PointSymbolizer>
      </se:Rule>
      <se:Rule>
        <se:Name>proposed-10</se:Name>
        <se:Description><se:Title>Proposed, 1 to 5 Mtpa</se:Title></se:Description>
        <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>Proposed</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsBetween><ogc:PropertyName>capacity_mtpa</ogc:PropertyName><ogc:LowerBoundary><ogc:Literal>1</ogc:Literal></ogc:LowerBoundary><ogc:UpperBoundary><ogc:Literal>4.9999</ogc:Literal></ogc:UpperBoundary></ogc:PropertyIsBetween></ogc:And></ogc:Filter>
        <se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>triangle</se:WellKnownName><se:Fill><se:SvgParameter name="fill">#f46d43</se:SvgParameter><se:SvgParameter name="fill-opacity">0.85</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">0.8</se:SvgParameter></se:Stroke></se:Mark><se:Size>10</se:Size></se:Graphic></se:PointSymbolizer>
      </se:Rule>
      <se:Rule>
        <se:Name>mothballed-10</se:Name>
        <se:Description><se:Title>Mothballed, 1 to 5 Mtpa</se:Title></se:Description>
        <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>Mothballed</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsBetween><ogc:PropertyName>capacity_mtpa</ogc:PropertyName><ogc:LowerBoundary><ogc:Literal>1</ogc:Literal></ogc:LowerBoundary><ogc:UpperBoundary><ogc:Literal>4.9999</ogc:Literal></ogc:UpperBoundary></ogc:PropertyIsBetween></ogc:And></ogc:Filter>
        <se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>circle</se:WellKnownName><se:Fill><se:SvgParameter name="fill">#878787</se:SvgParameter><se:SvgParameter name="fill-opacity">0.85</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">0.8</se:SvgParameter></se:Stroke></se:Mark><se:Size>10</se:Size></se:Graphic></se:PointSymbolizer>
      </se:Rule>
      <se:Rule>
        <se:Name>shelved-10</se:Name>
        <se:Description><se:Title>Shelved, 1 to 5 Mtpa</se:Title></se:Description>
        <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>Shelved</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsBetween><ogc:PropertyName>capacity_mtpa</ogc:PropertyName><ogc:LowerBoundary><ogc:Literal>1</ogc:Literal></ogc:LowerBoundary><ogc:UpperBoundary><ogc:Literal>4.9999</ogc:Literal></ogc:UpperBoundary></ogc:PropertyIsBetween></ogc:And></ogc:Filter>
        <se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>square</se:WellKnownName><se:Fill><se:SvgParameter name="fill">#9970ab</se:SvgParameter><se:SvgParameter name="fill-opacity">0.85</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">0.8</se:SvgParameter></se:Stroke></se:Mark><se:Size>10</se:Size></se:Graphic></se:PointSymbolizer>
      </se:Rule>
      <se:Rule>
        <se:Name>cancelled-10</se:Name>
        <se:Description><se:Title>Cancelled, 1 to 5 Mtpa</se:Title></se:Description>
        <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>Cancelled</ogc:Literal></ogc:PropertyIsEqualTo><ogc:PropertyIsBetween><ogc:PropertyName>capacity_mtpa</ogc:PropertyName><ogc:LowerBoundary><ogc:Literal>1</ogc:Literal></ogc:LowerBoundary><ogc:UpperBoundary><ogc:Literal>4.9999</ogc:Literal></ogc:UpperBoundary></ogc:PropertyIsBetween></ogc:And></ogc:Filter>
        <se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>x</se:WellKnownName><se:Fill><se:SvgParameter name="fill">#d73027</se:SvgParameter><se:SvgParameter name="fill-opacity">0.85</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">0.8</se:SvgParameter></se:Stroke></se:Mark><se:Size>10</se:Size></se:Graphic></se:PointSymbolizer>
      </se:Rule>
      <se:Rule>
        <se:Name>operating-6</se:Name>
        <se:Description><se:Title>Operating, under 1 Mtpa or unknown</se:Title></se:Description>
        <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>Operating</ogc:Literal></ogc:PropertyIsEqualTo><ogc:Or><ogc:PropertyIsLessThan><ogc:PropertyName>capacity_mtpa</ogc:PropertyName><ogc:Literal>1</ogc:Literal></ogc:PropertyIsLessThan><ogc:PropertyIsNull><ogc:PropertyName>capacity_mtpa</ogc:PropertyName></ogc:PropertyIsNull></ogc:Or></ogc:And></ogc:Filter>
        <se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>circle</se:WellKnownName><se:Fill><se:SvgParameter name="fill">#1a9850</se:SvgParameter><se:SvgParameter name="fill-opacity">0.85</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">0.8</se:SvgParameter></se:Stroke></se:Mark><se:Size>6</se:Size></se:Graphic></se:PointSymbolizer>
      </se:Rule>
      <se:Rule>
        <se:Name>proposed-6</se:Name>
        <se:Description><se:Title>Proposed, under 1 Mtpa or unknown</se:Title></se:Description>
        <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>Proposed</ogc:Literal></ogc:PropertyIsEqualTo><ogc:Or><ogc:PropertyIsLessThan><ogc:PropertyName>capacity_mtpa</ogc:PropertyName><ogc:Literal>1</ogc:Literal></ogc:PropertyIsLessThan><ogc:PropertyIsNull><ogc:PropertyName>capacity_mtpa</ogc:PropertyName></ogc:PropertyIsNull></ogc:Or></ogc:And></ogc:Filter>
        <se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>triangle</se:WellKnownName><se:Fill><se:SvgParameter name="fill">#f46d43</se:SvgParameter><se:SvgParameter name="fill-opacity">0.85</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">0.8</se:SvgParameter></se:Stroke></se:Mark><se:Size>6</se:Size></se:Graphic></se:PointSymbolizer>
      </se:Rule>
      <se:Rule>
        <se:Name>mothballed-6</se:Name>
        <se:Description><se:Title>Mothballed, under 1 Mtpa or unknown</se:Title></se:Description>
        <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>Mothballed</ogc:Literal></ogc:PropertyIsEqualTo><ogc:Or><ogc:PropertyIsLessThan><ogc:PropertyName>capacity_mtpa</ogc:PropertyName><ogc:Literal>1</ogc:Literal></ogc:PropertyIsLessThan><ogc:PropertyIsNull><ogc:PropertyName>capacity_mtpa</ogc:PropertyName></ogc:PropertyIsNull></ogc:Or></ogc:And></ogc:Filter>
        <se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>circle</se:WellKnownName><se:Fill><se:SvgParameter name="fill">#878787</se:SvgParameter><se:SvgParameter name="fill-opacity">0.85</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">0.8</se:SvgParameter></se:Stroke></se:Mark><se:Size>6</se:Size></se:Graphic></se:PointSymbolizer>
      </se:Rule>
      <se:Rule>
        <se:Name>shelved-6</se:Name>
        <se:Description><se:Title>Shelved, under 1 Mtpa or unknown</se:Title></se:Description>
        <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>Shelved</ogc:Literal></ogc:PropertyIsEqualTo><ogc:Or><ogc:PropertyIsLessThan><ogc:PropertyName>capacity_mtpa</ogc:PropertyName><ogc:Literal>1</ogc:Literal></ogc:PropertyIsLessThan><ogc:PropertyIsNull><ogc:PropertyName>capacity_mtpa</ogc:PropertyName></ogc:PropertyIsNull></ogc:Or></ogc:And></ogc:Filter>
        <se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>square</se:WellKnownName><se:Fill><se:SvgParameter name="fill">#9970ab</se:SvgParameter><se:SvgParameter name="fill-opacity">0.85</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">0.8</se:SvgParameter></se:Stroke></se:Mark><se:Size>6</se:Size></se:Graphic></se:PointSymbolizer>
      </se:Rule>
      <se:Rule>
        <se:Name>cancelled-6</se:Name>
        <se:Description><se:Title>Cancelled, under 1 Mtpa or unknown</se:Title></se:Description>
        <ogc:Filter><ogc:And><ogc:PropertyIsEqualTo><ogc:PropertyName>status</ogc:PropertyName><ogc:Literal>Cancelled</ogc:Literal></ogc:PropertyIsEqualTo><ogc:Or><ogc:PropertyIsLessThan><ogc:PropertyName>capacity_mtpa</ogc:PropertyName><ogc:Literal>1</ogc:Literal></ogc:PropertyIsLessThan><ogc:PropertyIsNull><ogc:PropertyName>capacity_mtpa</ogc:PropertyName></ogc:PropertyIsNull></ogc:Or></ogc:And></ogc:Filter>
        <se:PointSymbolizer><se:Graphic><se:Mark><se:WellKnownName>x</se:WellKnownName><se:Fill><se:SvgParameter name="fill">#d73027</se:SvgParameter><se:SvgParameter name="fill-opacity">0.85</se:SvgParameter></se:Fill><se:Stroke><se:SvgParameter name="stroke">#ffffff</se:SvgParameter><se:SvgParameter name="stroke-width">0.8</se:SvgParameter></se:Stroke></se:Mark><se:Size>6</se:Size></se:Graphic></se:PointSymbolizer>
      </se:Rule>
      <se:Rule>
        <se:Name>names</se:Name>
        <se:Description><se:Title>Mine name (at 1:1,000,000 and larger)</se:Title></se:Description>
        <se:MaxScaleDenominator>1000000</se:MaxScaleDenominator>
        <se:TextSymbolizer><se:Label><ogc:PropertyName>mine_name</ogc:PropertyName></se:Label><se:Font><se:SvgParameter name="font-size">10</se:SvgParameter></se:Font><se:LabelPlacement><se:PointPlacement><se:Displacement><se:DisplacementX>0</se:DisplacementX><se:DisplacementY>10</se:DisplacementY></se:Displacement></se:PointPlacement></se:LabelPlacement><se:Halo><se:Radius>1.5</se:Radius><se:Fill><se:SvgParameter name="fill">#ffffff</se:SvgParameter></se:Fill></se:Halo><se:Fill><se:SvgParameter name="fill">#252525</se:SvgParameter></se:Fill></se:TextSymbolizer>
      </se:Rule>
      </se:FeatureTypeStyle>
    </UserStyle>
  </NamedLayer>
</StyledLayerDescriptor>
