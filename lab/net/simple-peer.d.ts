// simple-peer's standalone browser build (all of its Node polyfills inside), typed as the package.
declare module 'simple-peer/simplepeer.min.js' {
  import SimplePeer from 'simple-peer';
  export default SimplePeer;
}
