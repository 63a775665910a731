/** The emulator route the wx.cloud bridge posts to. */
export const WX_CLOUD_CALL_FUNCTION_PATH = '/__page-module/wx-cloud/callFunction'

/** A custom header no web page can send cross-origin without a preflight (which the emulator never answers). */
export const WX_CLOUD_BRIDGE_HEADER = 'x-page-module-bridge'

/** The emulator route `wx.login()` of the bridge posts to: it mints a code for `sns/jscode2session`. */
export const WX_LOGIN_PATH = '/__page-module/wx/login'

/** The emulator route `wx.getUserProfile()` of the bridge posts to: user data encrypted with the user's session_key. */
export const WX_GET_USER_PROFILE_PATH = '/__page-module/wx/getUserProfile'
/** The emulator routes of the bridge's `uploadFile` (the file's bytes as the body) and `getTempFileURL`. */
export const WX_CLOUD_UPLOAD_FILE_PATH = '/__page-module/wx-cloud/uploadFile'
export const WX_CLOUD_GET_TEMP_FILE_URL_PATH = '/__page-module/wx-cloud/getTempFileURL'
/** The emulator route where the bridge mints cloudIDs for open data. */
export const WX_CLOUD_OPEN_DATA_PATH = '/__page-module/wx-cloud/openData'

/** How the bridge sends a `wx.cloud.CloudID(…)` inside callFunction data; the emulator replaces top-level ones. */
export const WX_CLOUD_ID_KEY = '__pageModuleCloudID'
