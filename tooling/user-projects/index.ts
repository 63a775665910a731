export { packWithPnpm } from './pack'
export { createNpmProject, installedPackages, npmInstall, userEnvironment } from './npm-project'
export {
  buildNpm,
  copyMiniprogramExample,
  createMiniprogramProject,
  miniprogramPlacements,
  type PackNpmWarning,
} from './miniprogram-project'
export { bannerValue, runUntilBanner } from './run-until-banner'
