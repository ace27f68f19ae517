/// <reference types="vite/client" />
declare module "*.ftl?raw" {
  const src: string;
  export default src;
}
