// node:http for simulation (httpclient.js).
'use strict';
module.exports = require('./httpclient.js').makeModule('http:');
