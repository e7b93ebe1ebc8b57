export default {
  displayName: 'gateway',
  preset: '../../jest.preset.cjs',
  rootDir: '.',
};
