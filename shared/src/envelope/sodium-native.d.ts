// sodium-native ships no types; sodium.ts describes the part it calls (NativeAddon) and casts to it.
declare module 'sodium-native' {
  const addon: unknown;
  export default addon;
}
