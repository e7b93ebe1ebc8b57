export default {
  displayName: 'demo',
  preset: '../../jest.preset.cjs',
  rootDir: '.',
};
