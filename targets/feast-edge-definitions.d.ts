/** The feature repo a Service Worker bundle serves: the bundler aliases this name to the app's definitions module. */
declare module 'feast-edge-definitions';
