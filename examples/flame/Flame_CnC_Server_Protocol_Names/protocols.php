<?php
// Firebreak example: a benign stand-in for the Flame C&C server's client table, as Kaspersky described it.
// It defines constants only.
const CLIENT_PROTOCOLS = [
    'FL'  => 'OldProtocol',
    'SP'  => 'OldProtocol',
    'SPE' => 'OldProtocolE',
    'IP'  => 'SignupProtocol',
];
// RedProtocol: named by the server code, never implemented.
