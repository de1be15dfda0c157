// Draws the GeoJSON named by the map element's data-geojson attribute with
// Leaflet, over the countries collection when the server has one. No tiles
// from the internet: AMIS pages work offline.
(function () {
  var element = document.getElementById('map');
  if (!element || typeof L === 'undefined') return;
  var map = L.map(element, { attributionControl: true });
  map.setView([15, 115], 3);
  var base = element.getAttribute('data-geojson').split('/collections/')[0];

  function popup(feature) {
    var rows = Object.keys(feature.properties || {}).slice(0, 12).map(function (k) {
      var v = feature.properties[k];
      var cell = document.createElement('td');
      cell.textContent = v === null ? '' : String(v);
      return '<tr><th>' + k.replace(/[<>&"]/g, '') + '</th>' + cell.outerHTML + '</tr>';
    });
    return '<b>' + feature.id + '</b><table>' + rows.join('') + '</table>';
  }

  fetch(base + '/collections/countries/items?f=json&limit=100')
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (countries) {
      if (countries) {
        L.geoJSON(countries, { style: { color: '#8aa0ad', weight: 1, fillColor: '#ffffff', fillOpacity: 1 },
                               interactive: false }).addTo(map);
      }
      return fetch(element.getAttribute('data-geojson'));
    })
    .then(function (r) { return r.json(); })
    .then(function (data) {
      var layer = L.geoJSON(data, {
        style: { color: '#0b6e4f', weight: 2, fillOpacity: 0.3 },
        pointToLayer: function (f, latlng) {
          return L.circleMarker(latlng, { radius: 5, color: '#0b6e4f', fillColor: '#2bb673', fillOpacity: 0.9, weight: 1 });
        },
        onEachFeature: function (f, l) { l.bindPopup(popup(f)); }
      }).addTo(map);
      var bounds = layer.getBounds();
      if (bounds.isValid()) map.fitBounds(bounds, { maxZoom: 10, padding: [10, 10] });
    })
    .catch(function () { element.textContent = 'The map could not load the features.'; });
})();
