// timers/promises for simulation (see timers.js).
'use strict';
module.exports = require('./timers.js').promises;
