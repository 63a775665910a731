// The gallery module tcb:Gallery: links to images a server stored in cloud storage (wx-server-sdk's getTempFileURL).
const { defineModule, moduleAnswer } = require('@page-module/host')
const cloud = require('wx-server-sdk')

cloud.init({ env: cloud.DYNAMIC_CURRENT_ENV })

const NO_SUCH_IMAGE = 2001
const FILE_ID_REQUIRED = 2002

exports.main = defineModule({
  id: 'tcb:Gallery',
  methods: {
    /** @param {{ fileID?: string, maxAge?: number }} data */
    async getImageUrl(data) {
      if (typeof data.fileID !== 'string' || !data.fileID.startsWith('cloud://'))
        throw moduleAnswer(FILE_ID_REQUIRED, 'give { fileID: "cloud://…" }')
      const maxAge = Number.isInteger(data.maxAge) && data.maxAge > 0 ? data.maxAge : 600
      const { fileList } = await cloud.getTempFileURL({ fileList: [{ fileID: data.fileID, maxAge }] })
      const [file] = fileList
      if (file.status !== 0) throw moduleAnswer(NO_SUCH_IMAGE, `no image ${data.fileID}: ${file.errMsg}`)
      return { fileID: file.fileID, tempFileURL: file.tempFileURL, maxAge }
    },
  },
})
