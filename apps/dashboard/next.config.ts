import type { NextConfig } from 'next';

const config: NextConfig = {
  // Workspace packages are consumed as TypeScript source (conventions §1.3).
  transpilePackages: ['@gradeshift/core', '@gradeshift/ood'],
  // Guard: the Node runtime never belongs in a Next bundle (conventions §3).
  serverExternalPackages: ['onnxruntime-node'],
  poweredByHeader: false,
  // Type checking and linting run in CI as their own steps (`npm run typecheck`, `npm run lint`); doing
  // them again inside `next build` would only make the build slower.
  typescript: { ignoreBuildErrors: true },
  eslint: { ignoreDuringBuilds: true },
};

export default config;
