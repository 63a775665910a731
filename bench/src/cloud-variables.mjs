// The variables with which a cloud runtime (SCF, CloudBase Run, a mini-program's cloud) shapes CloudBase requests.
const CLOUD_VARIABLE = /^(TENCENTCLOUD|TCB_|WX_|SCF_|CBR_|SUMERU_|CLOUDBASE_)/

/**
 * Removes them from this process's environment, so the clients measured read `process.env` on every call as they
 * do in a Node server, and no variable of the machine running the bench changes what they send. Returns the names.
 */
export function clearCloudVariables(environment = process.env) {
  const names = Object.keys(environment).filter((name) => CLOUD_VARIABLE.test(name))
  for (const name of names) delete environment[name]
  return names
}
