// Sign-ins as one file per user and day under the function's temporary folder. Creating a day's file
// with the 'wx' flag fails if it exists, which is what makes "once per day" hold even when several
// instances of the function run at once. A deployed module would use the CloudBase database instead.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')

function createSignInStore(root = path.join(os.tmpdir(), 'sign-ins')) {
  const folderOf = (user) => path.join(root, encodeURIComponent(user))
  const read = (user, day) => {
    try {
      return JSON.parse(fs.readFileSync(path.join(folderOf(user), `${day}.json`), 'utf8'))
    } catch {
      return undefined
    }
  }

  return {
    /** Records the sign-in; undefined when the user already signed in that day. */
    signIn(user, day) {
      fs.mkdirSync(folderOf(user), { recursive: true })
      const streak = (read(user, previousDay(day))?.streak ?? 0) + 1
      const record = { day, streak, at: new Date().toISOString() }
      try {
        fs.writeFileSync(path.join(folderOf(user), `${day}.json`), JSON.stringify(record), { flag: 'wx' })
      } catch (error) {
        if (error.code === 'EEXIST') return undefined
        throw error
      }
      return record
    },

    status(user, day) {
      const today = read(user, day)
      const yesterday = read(user, previousDay(day))
      return { day, signedToday: Boolean(today), streak: today?.streak ?? yesterday?.streak ?? 0 }
    },
  }
}

function previousDay(day) {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10)
}

module.exports = { createSignInStore }
