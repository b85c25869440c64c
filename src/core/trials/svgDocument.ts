import { DOMParser } from 'linkedom';

const SVG_NS = 'http://www.w3.org/2000/svg';

/**
 * A standalone SVG document without a browser: linkedom's XML mode gives d3-selection a DOM, and
 * its serializer escapes text and attribute values.
 */
export function createSvgDocument(width: number, height: number): { root: SVGSVGElement; serialize: () => string } {
  const doc = new DOMParser().parseFromString(`<svg xmlns="${SVG_NS}"></svg>`, 'image/svg+xml');
  const root = doc.documentElement as unknown as SVGSVGElement;
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  root.setAttribute('viewBox', `0 0 ${width} ${height}`);
  return { root, serialize: () => `<?xml version="1.0" encoding="UTF-8"?>\n${String(doc.documentElement)}\n` };
}
