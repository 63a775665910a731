import jpeg from 'jpeg-js'
import { PNG } from 'pngjs'

/** An image's RGBA pixels. */
export interface DecodedImage {
  readonly width: number
  readonly height: number
  readonly data: Uint8ClampedArray
}

/** Decodes a PNG or a JPEG by its leading bytes; undefined for anything else or a broken file. */
export function decodeImage(bytes: Buffer): DecodedImage | undefined {
  try {
    if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
      const png = PNG.sync.read(bytes)
      return { width: png.width, height: png.height, data: new Uint8ClampedArray(png.data) }
    }
    if (bytes[0] === 0xff && bytes[1] === 0xd8) {
      const image = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true })
      return { width: image.width, height: image.height, data: new Uint8ClampedArray(image.data) }
    }
  } catch {
    return undefined
  }
  return undefined
}

/** Encodes RGBA pixels as a PNG. */
export function encodePng(image: DecodedImage): Buffer {
  const png = new PNG({ width: image.width, height: image.height })
  png.data = Buffer.from(image.data)
  return PNG.sync.write(png)
}

/** The image scaled up by a whole factor, each pixel repeated (what the emulator's super-resolution answers). */
export function scaleUp(image: DecodedImage, factor: number): DecodedImage {
  const width = image.width * factor
  const height = image.height * factor
  const data = new Uint8ClampedArray(width * height * 4)
  for (let y = 0; y < height; y += 1) {
    for (let x = 0; x < width; x += 1) {
      const from = (Math.floor(y / factor) * image.width + Math.floor(x / factor)) * 4
      data.set(image.data.subarray(from, from + 4), (y * width + x) * 4)
    }
  }
  return { width, height, data }
}
