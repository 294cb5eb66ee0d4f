// The workerpool worker of the peers benchmark: one method, echo, that returns its argument.
'use strict';

require('workerpool').worker({ echo: (payload) => payload });
