export default {
  displayName: 'client',
  preset: '../../jest.preset.cjs',
  rootDir: '.',
};
