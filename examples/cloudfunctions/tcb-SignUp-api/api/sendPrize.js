// tcb:SignUp calls sendPrize with callCustomApi('sendPrize', data) after each sign-in.
// The business's rule: 10 points a day, doubled from a 3-day streak on.
module.exports = async ({ user, day, streak }) => {
  if (typeof user !== 'string' || typeof streak !== 'number') return { code: 1, msg: 'user and streak are required' }
  const points = streak >= 3 ? 20 : 10
  return { code: 0, msg: 'suc', user, day, points }
}
