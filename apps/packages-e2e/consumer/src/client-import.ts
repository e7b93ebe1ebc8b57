// Imports the SDK and uses none of it: a side-effect-free package leaves (almost) nothing in the bundle.
import '@ioauth/client';
