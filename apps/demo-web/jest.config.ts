export default {
  displayName: 'demo-web',
  preset: '../../jest.preset.cjs',
  rootDir: '.',
};
