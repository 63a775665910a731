/** The emulator route the wx.cloud bridge posts to. */
export const WX_CLOUD_CALL_FUNCTION_PATH = '/__page-module/wx-cloud/callFunction'

/** A custom header no web page can send cross-origin without a preflight (which the emulator never answers). */
export const WX_CLOUD_BRIDGE_HEADER = 'x-page-module-bridge'

/** The emulator route where the bridge mints cloudIDs for open data. */
export const WX_CLOUD_OPEN_DATA_PATH = '/__page-module/wx-cloud/openData'

/** How the bridge sends a `wx.cloud.CloudID(…)` inside callFunction data; the emulator replaces top-level ones. */
export const WX_CLOUD_ID_KEY = '__pageModuleCloudID'
