import jsQR from 'jsqr'
import QRCode from 'qrcode'
import type { DecodedImage } from './decoded-image'

/** A PNG of a QR code holding `text`, about `width` pixels wide. */
export function renderQrCode(text: string, width: number): Promise<Buffer> {
  return QRCode.toBuffer(text, { type: 'png', width, margin: 2, errorCorrectionLevel: 'M' })
}

export interface FoundQrCode {
  readonly data: string
  readonly corners: Record<'left_top' | 'right_top' | 'right_bottom' | 'left_bottom', { x: number; y: number }>
}

/** The QR code in an image, if one can be read. */
export function findQrCode(image: DecodedImage): FoundQrCode | undefined {
  const found = jsQR(image.data, image.width, image.height)
  if (!found) return undefined
  const at = (point: { x: number; y: number }) => ({ x: Math.round(point.x), y: Math.round(point.y) })
  const { topLeftCorner, topRightCorner, bottomRightCorner, bottomLeftCorner } = found.location
  return {
    data: found.data,
    corners: {
      left_top: at(topLeftCorner),
      right_top: at(topRightCorner),
      right_bottom: at(bottomRightCorner),
      left_bottom: at(bottomLeftCorner),
    },
  }
}
