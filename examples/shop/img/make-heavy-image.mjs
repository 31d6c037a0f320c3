// Makes img/yirgacheffe.png, the shop's one deliberately heavy image (a
// "photo" of coffee beans, ~0.6 MB), so that page speed varies between pages:
// the Yirgacheffe product page has it as its largest contentful paint.
// Seeded, so the same bytes come out every time: node img/make-heavy-image.mjs
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const W = 900;
const H = 600;
const out = new URL('./yirgacheffe.png', import.meta.url);

function mulberry32(seed) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = mulberry32(20251122);

// Background: warm diagonal gradient.
const px = new Float32Array(W * H * 3);
for (let y = 0; y < H; y++) {
  for (let x = 0; x < W; x++) {
    const t = (x / W + y / H) / 2;
    const i = (y * W + x) * 3;
    px[i] = 236 - 90 * t;
    px[i + 1] = 214 - 110 * t;
    px[i + 2] = 186 - 130 * t;
  }
}

// Beans: dark ellipses with a centre crease and a highlight.
for (let n = 0; n < 240; n++) {
  const cx = rand() * W;
  const cy = rand() * H;
  const rx = 17 + rand() * 10;
  const ry = rx * (0.62 + rand() * 0.1);
  const a = rand() * Math.PI;
  const cos = Math.cos(a);
  const sin = Math.sin(a);
  const tone = 0.75 + rand() * 0.5;
  const r = Math.ceil(rx) + 1;
  for (let y = Math.max(0, Math.floor(cy - r)); y < Math.min(H, cy + r); y++) {
    for (let x = Math.max(0, Math.floor(cx - r)); x < Math.min(W, cx + r); x++) {
      const dx = x - cx;
      const dy = y - cy;
      const u = (dx * cos + dy * sin) / rx;
      const v = (-dx * sin + dy * cos) / ry;
      const d = u * u + v * v;
      if (d > 1) continue;
      const crease = Math.abs(v - 0.25 * Math.sin(u * 3)) < 0.09 ? 0.45 : 1;
      const light = (1.15 - 0.5 * d) * (1 - 0.35 * (u + v)) * crease * tone;
      const i = (y * W + x) * 3;
      px[i] = 92 * light;
      px[i + 1] = 52 * light;
      px[i + 2] = 30 * light;
    }
  }
}

// Rows with a filter byte each; film grain keeps the file photo-sized.
const raw = Buffer.alloc(H * (1 + W * 3));
for (let y = 0; y < H; y++) {
  raw[y * (1 + W * 3)] = 0;
  for (let x = 0; x < W; x++) {
    const grain = (rand() - 0.5) * 3;
    for (let c = 0; c < 3; c++) {
      const v = px[(y * W + x) * 3 + c] + grain;
      raw[y * (1 + W * 3) + 1 + x * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
    }
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(buf) {
  let c = 0xffffffff;
  for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
function chunk(type, data) {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(W, 0);
ihdr.writeUInt32BE(H, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 2; // colour type: RGB
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
writeFileSync(out, png);
console.log(`wrote ${out.pathname} (${W}x${H}, ${(png.length / 1024).toFixed(0)} KiB)`);
