// The piscina worker of the peers benchmark: returns its argument.
'use strict';

module.exports = (payload) => payload;
