export default {
  displayName: 'server',
  preset: '../../jest.preset.cjs',
  rootDir: '.',
};
