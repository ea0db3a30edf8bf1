// node:https for simulation (httpclient.js).
'use strict';
module.exports = require('./httpclient.js').makeModule('https:');
