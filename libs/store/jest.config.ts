export default {
  displayName: 'store',
  preset: '../../jest.preset.cjs',
  rootDir: '.',
};
